import { RegistryError, type RegistryClient } from "../registry/client";

/** Registry contents of one published image, read back after the push. */
export interface PublishedImage {
    /** Digest of each platform's image, keyed `os/arch[/variant]`. */
    readonly platformDigests: Record<string, string>;
    /** SBOM attachments ko pushed (`<name>:sha256-<hex>.sbom`), for the index and each image. */
    readonly sbomRefs: string[];
}

interface ImageConfig {
    readonly os?: string;
    readonly architecture?: string;
    readonly variant?: string;
}

/**
 * Reads the pushed manifest to learn each platform's digest and which SBOM attachments exist.
 * ko's `--image-refs` lists the images of an index without their platforms, so the index
 * manifest is the source of truth for that mapping.
 */
export async function readPublishedImage(client: RegistryClient, imageName: string, digest: string): Promise<PublishedImage> {
    const { manifest } = await client.getManifest(`${imageName}@${digest}`);
    const platformDigests: Record<string, string> = {};
    if (manifest.manifests) {
        for (const child of manifest.manifests) {
            if (!child.platform || child.platform.os === "unknown") continue;
            platformDigests[formatPlatform(child.platform)] = child.digest;
        }
    } else if (manifest.config) {
        const config = await client.getJsonBlob<ImageConfig>(imageName, manifest.config.digest);
        platformDigests[formatPlatform({ os: config.os ?? "unknown", architecture: config.architecture ?? "unknown", variant: config.variant })] = digest;
    }

    const candidates = [digest, ...Object.values(platformDigests).filter((child) => child !== digest)];
    const sbomRefs: string[] = [];
    for (const candidate of candidates) {
        const ref = `${imageName}:${candidate.replace(":", "-")}.sbom`;
        if (await manifestExists(client, ref)) sbomRefs.push(ref);
    }
    return { platformDigests, sbomRefs };
}

async function manifestExists(client: RegistryClient, ref: string): Promise<boolean> {
    try {
        await client.getManifest(ref);
        return true;
    } catch (error) {
        if (error instanceof RegistryError && error.status === 404) return false;
        throw error;
    }
}

function formatPlatform(platform: { os: string; architecture: string; variant?: string }): string {
    return platform.variant ? `${platform.os}/${platform.architecture}/${platform.variant}` : `${platform.os}/${platform.architecture}`;
}
