import { chmod, copyFile, open, readFile, rename, unlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDocument, stringify } from 'yaml';

export type ConfigDoc = Record<string, unknown>;

export interface ConfigDocumentOptions {
  /** The YAML file the services read with --config. */
  file: string;
  /** Problems the whole document would raise when the services load it (one line each); empty when it is good. */
  validate: (doc: ConfigDoc) => string[];
}

export class ConfigRejected extends Error {
  override name = 'ConfigRejected';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * The configuration file as the dashboard edits it. Each change is applied to
 * a fresh read of the file, validated as the services would load it, and
 * written atomically: a temporary file (mode 0600) in the same folder, synced,
 * then renamed over the old one, whose previous content is kept as
 * `<file>.prev`. Changes are serialized, so two edits never interleave. A
 * refused change writes nothing.
 */
export class ConfigDocument {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ConfigDocumentOptions) {}

  get file(): string {
    return this.o.file;
  }

  async read(): Promise<ConfigDoc> {
    if (!existsSync(this.o.file)) return {};
    const text = await readFile(this.o.file, 'utf8');
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new ConfigRejected([`${this.o.file} is not valid YAML: ${doc.errors[0]?.message ?? 'parse error'}`]);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigRejected([`${this.o.file} must hold a mapping at the top level`]);
    return value as ConfigDoc;
  }

  /** Applies `change` to the current document and writes it if the result is valid; resolves to the new document. */
  update(change: (doc: ConfigDoc) => ConfigDoc): Promise<ConfigDoc> {
    const run = this.queue.then(async () => {
      const next = change(structuredClone(await this.read()));
      const problems = this.o.validate(next);
      if (problems.length > 0) throw new ConfigRejected(problems);
      await this.write(next);
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(doc: ConfigDoc): Promise<void> {
    const file = this.o.file;
    const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(stringify(doc), 'utf8');
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    if (existsSync(file)) {
      const prev = `${file}.prev`;
      await copyFile(file, prev);
      await chmod(prev, 0o600);
    }
    await rename(tmp, file);
  }
}
