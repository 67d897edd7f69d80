import { expect } from 'vitest';

/**
 * Polls a read of the page until the assertion after it holds. Locator reads such as `count()` or
 * `allInnerTexts()` do not wait, and the browser suite runs beside the rest on two cores: a read
 * right after a click or a navigation would race the render.
 */
export const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
