// .claude/fanout/install.json: what `fanout init` added to a repo, so that `fanout uninstall` removes exactly that.
import * as z from 'zod/mini';

export const INSTALL_RECORD_FILE = '.claude/fanout/install.json';

export const InstallRecordSchema = z.object({
  /** fanout version that wrote the install. */
  fanout: z.string(),
  /** Files of the copied bundle, relative to the repo root. */
  bundle: z.array(z.string()),
  settings: z.object({
    file: z.string(),
    createdFile: z.boolean(),
    createdHooksKey: z.boolean(),
    createdEvents: z.array(z.string()),
  }),
  /** Command files init wrote, relative to the repo root → sha256 of what it wrote. */
  commands: z.record(z.string(), z.string()),
  constraints: z.object({ file: z.string(), created: z.boolean(), sha256: z.optional(z.string()) }),
  /** Directories init created, deepest last; uninstall removes those left empty. */
  createdDirs: z.array(z.string()),
});
export type InstallRecord = z.infer<typeof InstallRecordSchema>;

export function parseInstallRecord(text: string): InstallRecord | undefined {
  try {
    const parsed = z.safeParse(InstallRecordSchema, JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function formatInstallRecord(record: InstallRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
