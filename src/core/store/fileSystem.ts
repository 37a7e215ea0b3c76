// The small file-system port the transcript log needs. The product and the tests both use the Node
// implementation: VS Code's workspace.fs cannot append, and globalStorageUri is always a local folder of
// the extension host.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FileSystemPort {
  /** The file's bytes, or undefined when it does not exist. */
  readFile(file: string): Promise<Uint8Array | undefined>;
  appendFile(file: string, data: string): Promise<void>;
  writeFile(file: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(file: string): Promise<void>;
  mkdirp(dir: string): Promise<void>;
  /** File names in a folder; empty when it does not exist. */
  list(dir: string): Promise<string[]>;
  /**
   * The file's size in bytes, or undefined when it does not exist. Optional: without it the store cannot
   * notice that another window appended to a transcript.
   */
  size?(file: string): Promise<number | undefined>;
}

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export const nodeFileSystem: FileSystemPort = {
  async readFile(file) {
    try {
      return await fs.readFile(file);
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  },
  appendFile: (file, data) => fs.appendFile(file, data, 'utf8'),
  async writeFile(file, data) {
    // Write then rename, so a crash leaves the old file or the new one, never half of one.
    const tmp = `${file}.tmp-${process.pid}`;
    await fs.writeFile(tmp, data, 'utf8');
    await fs.rename(tmp, file);
  },
  rename: (from, to) => fs.rename(from, to),
  async remove(file) {
    await fs.rm(file, { force: true });
  },
  async mkdirp(dir) {
    await fs.mkdir(dir, { recursive: true });
  },
  async size(file) {
    try {
      return (await fs.stat(file)).size;
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  },
  async list(dir) {
    try {
      return await fs.readdir(dir);
    } catch (e) {
      if (missing(e)) return [];
      throw e;
    }
  },
};

export const join = path.join;
