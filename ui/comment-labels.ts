import type { CommentStatus, CommentType } from '../domain/comment-workflow.js';

const TYPES: Record<CommentType, string> = {
  note: 'Note',
  issue: 'Issue',
  question: 'Question',
  approval: 'Approval',
};
const STATUSES: Record<CommentStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  wont_fix: 'Won’t fix',
};

/** A feedback type and a workflow status in people's words. */
export const typeLabelOf = (type: CommentType | null): string => TYPES[type ?? 'note'];
export const statusLabel = (status: CommentStatus | null): string => STATUSES[status ?? 'open'];
