import * as path from "node:path";
import { runKoBuild } from "../ko/driver";
import { withKoEnvironment } from "./koEnvironment";
import type { PublishRequest } from "./publish";

/** The reference and digest that publishing an image would produce, computed without pushing. */
export interface PredictedImage {
    /** `<imageName>@sha256:<hex>`, the same form as the `imageRef` output. */
    readonly imageRef: string;
    /** `sha256:<hex>` of the index (several platforms) or of the image (one platform). */
    readonly digest: string;
}

/**
 * Builds the image with `ko build --push=false` and returns the reference a push would publish.
 * Nothing reaches the registry except reads of the base image, and no SBOM file is written,
 * because `sbomDirectory` is left out. A failed build throws a `KoError` that carries ko's error
 * output, the compiler's messages included.
 *
 * With `--push=false`, ko v0.19.1 computes the digest locally and names the image as a push
 * would. Its `--image-refs` file then contains `<imageName>:<first tag>@sha256:<hex>` for one
 * platform, and `<imageName>@sha256:<hex>` followed by the platform images for an index.
 * `parseImageRefs` drops the tag, so the result has the form of the `imageRef` output. The
 * digest equals the pushed one only when the build is reproducible.
 */
export async function predictImage(request: PublishRequest): Promise<PredictedImage> {
    const { spec, registries } = request;
    return withKoEnvironment(registries, async (env) => {
        const result = await runKoBuild({
            spec: { ...spec, sbomDirectory: undefined },
            workingDir: path.resolve(request.projectRoot, spec.workingDir),
            mode: "build-only",
            env,
        });
        return { imageRef: result.imageRef, digest: result.digest };
    });
}
