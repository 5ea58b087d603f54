import * as path from "node:path";
import { computeSourceFingerprint, type SourceFingerprint } from "../fingerprint";
import { RegistryClient, RegistryError } from "../registry/client";
import type { ResolvedImageSpec } from "../spec/spec";

/** Sources of an image beyond its inputs, computed in `check` and stored as inputs. */
export interface SourceState {
    /** Digests of the Go sources, modules, kodata, toolchain and settings that ko reads. */
    readonly sourceFingerprint?: SourceFingerprint;
    /** Digest the base image resolved to, or the reference itself when the registry could not be asked. */
    readonly baseImageDigest?: string;
}

/**
 * Base image digests resolved in this provider process. One process serves one Pulumi
 * operation, so each base is asked for once per operation, however many images use it.
 */
const baseDigests = new Map<string, Promise<{ digest: string; platforms: string[] } | undefined>>();

/**
 * Computes the source state of an image without building it: resolves the base image to a
 * digest and fingerprints the sources for every target platform. Failures of the base lookup
 * only warn, so an offline preview keeps working with the tag recorded. A failing `go list`
 * throws, because ko would fail the same way.
 */
export async function computeSourceState(spec: ResolvedImageSpec, projectRoot: string): Promise<SourceState> {
    const base = await resolveBaseImage(spec.baseImage);
    const baseImageDigest = base?.digest ?? spec.baseImage;

    // `all` stands for the base image's platforms, which only its index lists.
    const platforms = spec.platforms[0] === "all" ? base?.platforms : spec.platforms;
    if (!platforms || platforms.length === 0) {
        console.warn(`The platforms of base image ${spec.baseImage} are unknown, so the sources of ${spec.main} are not fingerprinted and every preview shows an update`);
        return { baseImageDigest };
    }

    const sourceFingerprint = await computeSourceFingerprint({
        workingDir: path.resolve(projectRoot, spec.workingDir),
        main: spec.main,
        platforms,
        flags: spec.flags,
        ldflags: spec.ldflags,
        env: spec.env,
    });
    return { sourceFingerprint, baseImageDigest };
}

function resolveBaseImage(reference: string): Promise<{ digest: string; platforms: string[] } | undefined> {
    let pending = baseDigests.get(reference);
    if (!pending) {
        pending = lookUpBaseImage(reference);
        baseDigests.set(reference, pending);
    }
    return pending;
}

async function lookUpBaseImage(reference: string): Promise<{ digest: string; platforms: string[] } | undefined> {
    try {
        const { digest, manifest } = await new RegistryClient().getManifest(reference);
        const platforms = (manifest.manifests ?? [])
            .map((child) => child.platform)
            .filter((platform) => platform !== undefined && platform.os !== "unknown")
            .map((platform) => [platform!.os, platform!.architecture, platform!.variant].filter(Boolean).join("/"));
        return { digest, platforms };
    } catch (error) {
        const reason = error instanceof RegistryError ? error.message : String(error);
        console.warn(`Could not resolve base image ${reference} to a digest, so a new image under the same tag goes unnoticed: ${reason}`);
        return undefined;
    }
}
