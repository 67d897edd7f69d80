/** The API key lives in sessionStorage: it is gone when the tab closes, and never sent anywhere but the API. */
const KEY = 'media-discovery.api-key';

export const session = {
  load: (): string | null => sessionStorage.getItem(KEY),
  save: (key: string): void => sessionStorage.setItem(KEY, key),
  clear: (): void => sessionStorage.removeItem(KEY),
};
