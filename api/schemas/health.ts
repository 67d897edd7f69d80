import { z } from 'zod';
import { COMPONENTS } from '../../services/system-service.js';

const State = z.enum(['ok', 'degraded', 'down']);

export const LivenessSchema = z.object({ status: z.literal('ok') });

export const ReadinessSchema = z.object({
  status: State,
  components: z.object(
    Object.fromEntries(COMPONENTS.map((c) => [c, z.object({ status: State, kind: z.string() })])) as Record<
      (typeof COMPONENTS)[number],
      z.ZodObject<{ status: typeof State; kind: z.ZodString }>
    >,
  ),
});
