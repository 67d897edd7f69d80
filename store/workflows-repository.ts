import type { Sql } from './db.js';

export interface WorkflowRow {
  id: string;
  name: string;
  description: string;
  rules: { field: string; op: string; value: string }[];
  capabilities: string[];
  enabled: boolean;
  priority: number;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  name: string;
  description: string;
  preprocessing_logic: WorkflowRow['rules'];
  capabilities: string[];
  enabled: boolean;
  priority: number;
  created_at: Date;
  updated_at: Date;
}

const toWorkflow = (r: Row): WorkflowRow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  rules: r.preprocessing_logic,
  capabilities: r.capabilities,
  enabled: r.enabled,
  priority: r.priority,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export const workflowsRepository = {
  async list(sql: Sql, tenantId: string): Promise<WorkflowRow[]> {
    const rows = await sql.query<Row>(
      'SELECT * FROM workflow_definitions WHERE tenant_id = $1 ORDER BY priority DESC, name',
      [tenantId],
    );
    return rows.map(toWorkflow);
  },

  async get(sql: Sql, tenantId: string, id: string): Promise<WorkflowRow | null> {
    const rows = await sql.query<Row>('SELECT * FROM workflow_definitions WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    return rows[0] ? toWorkflow(rows[0]) : null;
  },

  /** Returns null when the tenant already has a workflow of that name. */
  async insert(
    sql: Sql,
    tenantId: string,
    w: Omit<WorkflowRow, 'createdAt' | 'updatedAt'>,
  ): Promise<WorkflowRow | null> {
    const rows = await sql.query<Row>(
      `INSERT INTO workflow_definitions (tenant_id, id, name, description, preprocessing_logic, capabilities, enabled, priority)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7, $8)
       ON CONFLICT (tenant_id, name) DO NOTHING RETURNING *`,
      [tenantId, w.id, w.name, w.description, JSON.stringify(w.rules), w.capabilities, w.enabled, w.priority],
    );
    return rows[0] ? toWorkflow(rows[0]) : null;
  },

  async update(
    sql: Sql,
    tenantId: string,
    id: string,
    patch: Partial<Pick<WorkflowRow, 'description' | 'rules' | 'capabilities' | 'enabled' | 'priority'>>,
  ): Promise<WorkflowRow | null> {
    const rows = await sql.query<Row>(
      `UPDATE workflow_definitions SET
         description = coalesce($3, description),
         preprocessing_logic = coalesce($4::jsonb, preprocessing_logic),
         capabilities = coalesce($5::text[], capabilities),
         enabled = coalesce($6, enabled),
         priority = coalesce($7, priority),
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING *`,
      [
        tenantId,
        id,
        patch.description ?? null,
        patch.rules ? JSON.stringify(patch.rules) : null,
        patch.capabilities ?? null,
        patch.enabled ?? null,
        patch.priority ?? null,
      ],
    );
    return rows[0] ? toWorkflow(rows[0]) : null;
  },
};

export type WorkflowsRepository = typeof workflowsRepository;
