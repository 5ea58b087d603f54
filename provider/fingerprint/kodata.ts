import * as fs from "node:fs/promises";
import * as path from "node:path";
import { compareStrings, digestNamedEntries, type FileDigester } from "./digest";
import { FingerprintError } from "./errors";

/** Entry value of a folder in the kodata digest; files get their content digest. */
const folderEntry = "folder";

/**
 * Computes the digest of the `kodata` folder next to the main package, over what ko v0.19 puts
 * in the image's kodata layer: every file and folder by its path relative to `kodata`, and each
 * file's content. Modes and times are left out, because ko writes fixed ones.
 *
 * Returns undefined when the tree has no entries: `kodata` is missing, empty, not a folder, or
 * itself a symbolic link, which ko's walk does not enter. ko adds the same empty layer in all
 * these cases.
 *
 * Symbolic links inside the tree are followed as ko follows them. Raises a FingerprintError for
 * a link that is broken, leaves the kodata folder (ko rejects those), or loops back to a folder
 * it is inside, and for anything that is neither a file nor a folder.
 */
export async function digestKodata(mainPackageDir: string, digester: FileDigester): Promise<string | undefined> {
    const root = path.join(mainPackageDir, "kodata");
    const rootStat = await fs.lstat(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
        throw new FingerprintError(`kodata folder ${root} could not be read: ${error.message}`, { cause: error });
    });
    if (!rootStat?.isDirectory()) return undefined;

    const realRoot = await fs.realpath(root);
    const entries: [string, string][] = [];
    await walkKodata({ root, realRoot, digester, entries }, root, "", [realRoot]);
    return entries.length === 0 ? undefined : digestNamedEntries(entries);
}

interface KodataWalk {
    readonly root: string;
    readonly realRoot: string;
    readonly digester: FileDigester;
    /** Collected `[relative path, digest or folderEntry]` pairs. */
    readonly entries: [string, string][];
}

/**
 * Adds the entries under `folder`, which appears in the image as `relativeFolder`. Symbolic
 * links are resolved, so a linked folder is walked again under the link's name, as ko does.
 * `openFolders` contains the real paths of the folders being walked, to detect link loops.
 */
async function walkKodata(walk: KodataWalk, folder: string, relativeFolder: string, openFolders: readonly string[]): Promise<void> {
    const names = (await fs.readdir(folder)).sort(compareStrings);
    for (const name of names) {
        const hostPath = path.join(folder, name);
        const relativePath = relativeFolder === "" ? name : `${relativeFolder}/${name}`;
        const linkStat = await fs.lstat(hostPath);

        if (linkStat.isDirectory()) {
            walk.entries.push([relativePath, folderEntry]);
            await walkKodata(walk, hostPath, relativePath, [...openFolders, await fs.realpath(hostPath)]);
            continue;
        }

        const resolved = linkStat.isSymbolicLink() ? await resolveLink(walk, hostPath) : hostPath;
        const stat = await fs.stat(resolved);
        if (stat.isDirectory()) {
            if (openFolders.includes(resolved)) {
                throw new FingerprintError(`kodata symbolic link ${hostPath} loops back to ${resolved}: point it at a folder outside its own path, or remove it`);
            }
            walk.entries.push([relativePath, folderEntry]);
            await walkKodata(walk, resolved, relativePath, [...openFolders, resolved]);
        } else if (stat.isFile()) {
            walk.entries.push([relativePath, await walk.digester.digestFile(resolved)]);
        } else {
            throw new FingerprintError(`kodata entry ${hostPath} is neither a file nor a folder: ko can only copy files and folders into the image; remove it`);
        }
    }
}

/** Resolves a symbolic link to its real path and checks that it stays inside the kodata folder. */
async function resolveLink(walk: KodataWalk, hostPath: string): Promise<string> {
    let resolved: string;
    try {
        resolved = await fs.realpath(hostPath);
    } catch (error) {
        throw new FingerprintError(`kodata symbolic link ${hostPath} is broken: ${(error as Error).message}; fix or remove the link`, { cause: error });
    }
    if (resolved !== walk.realRoot && !resolved.startsWith(walk.realRoot + path.sep)) {
        throw new FingerprintError(
            `kodata symbolic link ${hostPath} resolves to ${resolved}, outside the kodata folder ${walk.root}: ko rejects such links; copy the target into kodata instead`,
        );
    }
    return resolved;
}
