import { z } from 'zod';
import { EDITABLE_TYPES } from '../../domain/tag-overrides.js';

/** A name and type of a tag, topic, speaker, brand or keyword, as an editor gives it. */
export const entityName = z.string().trim().min(1).max(200);
export const entityType = z.enum(EDITABLE_TYPES).default('TAG').describe('The entity type; TAG when absent.');
const EntityRefSchema = z.object({ name: entityName, type: entityType }).strict();
export const entityRefs = z.array(EntityRefSchema).max(100).default([]);
