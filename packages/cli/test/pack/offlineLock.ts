// Writes a package-lock.json for a fresh project that depends on packed workspace tarballs, pinning every other package to the repository's lock so `npm ci --offline` installs from the npm cache alone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One entry of a lockfile's `packages` map (only the fields read here are typed). */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  optional?: boolean;
  [field: string]: unknown;
}

/** A lockfile (version 3): its `packages` map keyed by install location. */
interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** A workspace packed to a tarball that the new project installs. */
export interface PackedWorkspace {
  /** Package name (`nutmeg`, `@nutmeg/cli`). */
  name: string;
  /** The workspace's folder relative to the repository root (`packages/nutmeg`): its location in the repository's lock. */
  location: string;
  /** The tarball, relative to the new project's folder (`../nutmeg-0.1.0.tgz`). */
  tarball: string;
  /** The tarball's absolute path (hashed for the lock's integrity field). */
  tarballPath: string;
}

/** The parent install location whose node_modules a package at `location` looks in next ('' is the root). */
function parentLocation(location: string): string {
  const i = location.lastIndexOf('/node_modules/');
  return i < 0 ? '' : location.slice(0, i);
}

/** Where Node would find `name` from `location` in the lock's tree, or undefined. */
function resolveIn(packages: Record<string, LockEntry>, location: string, name: string): string | undefined {
  for (let loc = location; ; loc = parentLocation(loc)) {
    const candidate = loc === '' ? `node_modules/${name}` : `${loc}/node_modules/${name}`;
    if (packages[candidate] !== undefined && packages[candidate].link !== true) return candidate;
    if (loc === '') return undefined;
  }
}

/** The edges npm installs for an entry: dependencies, optional dependencies, and peers that are not optional. */
function edges(entry: LockEntry): { name: string; optional: boolean }[] {
  const out = Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false }));
  for (const name of Object.keys(entry.optionalDependencies ?? {})) out.push({ name, optional: true });
  for (const name of Object.keys(entry.peerDependencies ?? {})) {
    if (entry.peerDependenciesMeta?.[name]?.optional !== true) out.push({ name, optional: false });
  }
  return out;
}

/**
 * Builds the lockfile of a project whose only dependencies are the given packed workspaces.
 *
 * Every package the workspaces need is taken, with its version, tarball URL and integrity, from
 * the repository's lock, so `npm ci --offline` finds all of them in the cache that the
 * repository's own `npm ci` filled (no registry metadata is needed). Packages installed inside a
 * workspace folder move under the workspace's new place, `node_modules/<name>`.
 *
 * @param repoLockPath - the repository's package-lock.json
 * @param projectName - the new project's package.json name
 * @param workspaces - the packed workspaces the project depends on
 * @returns the lockfile object (write it as JSON next to a package.json whose dependencies are `file:` the tarballs)
 * @throws Error when a required (non-optional) dependency is missing from the repository's lock
 */
export function offlineLock(repoLockPath: string, projectName: string, workspaces: PackedWorkspace[]): Lockfile {
  const repo = JSON.parse(readFileSync(repoLockPath, 'utf8')) as Lockfile;
  const packages: Record<string, LockEntry> = {
    '': { name: projectName, version: '1.0.0', dependencies: Object.fromEntries(workspaces.map((w) => [w.name, `file:${w.tarball}`])) },
  };
  const relocate = (location: string): string => {
    for (const w of workspaces) if (location.startsWith(`${w.location}/`)) return `node_modules/${w.name}${location.slice(w.location.length)}`;
    return location;
  };
  const pending: string[] = [];
  for (const w of workspaces) {
    const entry = repo.packages[w.location];
    if (entry === undefined) throw new Error(`offlineLock: ${w.location} is not in ${repoLockPath}`);
    const { name: _name, ...fields } = entry;
    const integrity = `sha512-${createHash('sha512').update(readFileSync(w.tarballPath)).digest('base64')}`;
    packages[`node_modules/${w.name}`] = { ...fields, resolved: `file:${w.tarball}`, integrity };
    pending.push(w.location);
  }
  const seen = new Set<string>(pending);
  while (pending.length > 0) {
    const from = pending.pop() as string;
    for (const { name, optional } of edges(repo.packages[from])) {
      if (workspaces.some((w) => w.name === name)) continue;
      const found = resolveIn(repo.packages, from, name);
      if (found === undefined) {
        if (optional) continue;
        throw new Error(`offlineLock: ${name} (needed by ${from || 'the root'}) is not in ${repoLockPath}`);
      }
      if (seen.has(found)) continue;
      seen.add(found);
      pending.push(found);
      // The repository installs some of these only for development; here they are dependencies.
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repo.packages[found];
      packages[relocate(found)] = entry;
    }
  }
  return { name: projectName, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
