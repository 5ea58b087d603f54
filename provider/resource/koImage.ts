import * as pulumi from "@pulumi/pulumi";
import { koImageProvider } from "./provider";

/**
 * Inputs of a {@link KoImage}. Each maps to one key of a GoReleaser `kos` entry (named in the
 * field's doc) and keeps GoReleaser's default.
 */
export interface KoImageArgs {
    /** Go package to build, relative to `workingDir`, such as `./cmd/app`. GoReleaser `main`. @default "." */
    readonly main?: pulumi.Input<string>;
    /**
     * Folder of the Go module to build, relative to the Pulumi project's folder (where
     * Pulumi.yaml is). GoReleaser `working_dir`. @default "."
     */
    readonly workingDir?: pulumi.Input<string>;
    /** Image the Go binary is added to. GoReleaser `base_image`. @default "cgr.dev/chainguard/static" */
    readonly baseImage?: pulumi.Input<string>;
    /** Labels of the image config. GoReleaser `labels`; ko `--image-label`. */
    readonly labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Annotations of the manifest. GoReleaser `annotations`; ko `--image-annotation`. */
    readonly annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** User the container runs as, such as `65532` or `1234:1234`. GoReleaser `user`; ko `--image-user`. */
    readonly user?: pulumi.Input<string>;
    /**
     * Repositories to publish to: ko pushes to the first, and the image is named after it
     * (`KO_DOCKER_REPO`). GoReleaser `repositories`. Required.
     */
    readonly repositories: pulumi.Input<pulumi.Input<string>[]>;
    /** Target platforms, `os/arch[/variant]`, or `all` of the base image. GoReleaser `platforms`. @default ["linux/amd64"] */
    readonly platforms?: pulumi.Input<pulumi.Input<string>[]>;
    /** Tags to push; empty and blank tags are dropped. GoReleaser `tags`. @default ["latest"] */
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
    /** Creation time of the image config, Unix seconds. GoReleaser `creation_time`; ko `SOURCE_DATE_EPOCH`. @default zero time */
    readonly creationTime?: pulumi.Input<string>;
    /** Modification time of `kodata` files, Unix seconds. GoReleaser `ko_data_creation_time`; ko `KO_DATA_DATE_EPOCH`. */
    readonly koDataCreationTime?: pulumi.Input<string>;
    /** SBOM format attached to the image: `spdx` or `none`. GoReleaser `sbom`; ko `--sbom`. @default "spdx" */
    readonly sbom?: pulumi.Input<string>;
    /** Folder to also write the SBOM files to. GoReleaser `sbom_directory`; ko `--sbom-dir`. */
    readonly sbomDirectory?: pulumi.Input<string>;
    /** Linker flags for `go build`. GoReleaser `ldflags` (inherited from the build). */
    readonly ldflags?: pulumi.Input<pulumi.Input<string>[]>;
    /** Other `go build` flags, such as `-tags=netgo`. GoReleaser `flags` (inherited from the build). */
    readonly flags?: pulumi.Input<pulumi.Input<string>[]>;
    /** Environment of `go build`, `NAME=value`. GoReleaser `env` (inherited from the build). */
    readonly env?: pulumi.Input<pulumi.Input<string>[]>;
    /** Name the image exactly after the repository. GoReleaser `bare`; ko `--bare`. @default false */
    readonly bare?: pulumi.Input<boolean>;
    /** Name the image `<repository>/<full import path>`. GoReleaser `preserve_import_paths`; ko `-P`. @default false */
    readonly preserveImportPaths?: pulumi.Input<boolean>;
    /** Name the image `<repository>/<last import path element>`. GoReleaser `base_import_paths`; ko `-B`. @default false */
    readonly baseImportPaths?: pulumi.Input<boolean>;
    /**
     * Credentials for registries, used before the docker config (`~/.docker/config.json`,
     * credential helpers) that ko and this provider read otherwise. Stored as secrets; a change
     * of credentials alone never causes an update. Not a GoReleaser key.
     */
    readonly registries?: pulumi.Input<pulumi.Input<RegistryAuthArgs>[]>;
    /**
     * For inputs that contain a run-time value, such as a build date from a GoReleaser template:
     * the same input with that value fixed. The provider compares these instead, so a new date
     * alone never updates the image, while any other change rebuilds it with the current date.
     * `koImagesFromGoreleaser` fills this in.
     */
    readonly stableValues?: pulumi.Input<Record<string, unknown>>;
    /**
     * Build the image with `ko build --push=false` in the provider's check, without pushing.
     * Check runs in `pulumi preview` and again in `pulumi up`, so an `up` that publishes builds
     * twice. A Go compile error then fails the preview with the compiler's message, and the
     * preview shows `imageRef` and `digest` as a push would publish them, so downstream previews
     * (a Deployment's image) are exact when the build is reproducible.
     *
     * No ko process runs while an input is unknown, nor when nothing that names or builds the
     * image changed since the last update. Those sources compiled then, and the stored
     * prediction is reused. With a run-time value pinned by `stableValues` (a build date), the
     * image builds but `imageRef` and `digest` stay unknown, because every run publishes another
     * digest. A change of this input alone never updates the image. Not a GoReleaser key.
     * @default false
     */
    readonly buildOnPreview?: pulumi.Input<boolean>;
}

/** Credentials for one registry, in the shape of @pulumi/docker's registry credentials. */
export interface RegistryAuthArgs {
    /** Registry host, such as `ghcr.io` or `127.0.0.1:5000`. */
    readonly address: pulumi.Input<string>;
    readonly username?: pulumi.Input<string>;
    /** Password or token; kept secret in the state whether or not the program marks it. */
    readonly password?: pulumi.Input<string>;
}

/**
 * A Go program built by `ko` and pushed to an OCI registry. Its outputs are digest-pinned, so a
 * Kubernetes Deployment that uses `imageRef` rolls out exactly the image that was published.
 */
export class KoImage extends pulumi.dynamic.Resource {
    /** `<name>@sha256:<hex>`: the reference to deploy. In a preview that creates or updates the image, unknown unless `buildOnPreview` predicts it. */
    declare readonly imageRef: pulumi.Output<string>;
    /** `sha256:<hex>` of the index (several platforms) or image (one platform). In a preview that creates or updates the image, unknown unless `buildOnPreview` predicts it. */
    declare readonly digest: pulumi.Output<string>;
    /** Repository the image was pushed to, after ko's naming, such as `ghcr.io/acme/app-<md5>`. */
    declare readonly imageName: pulumi.Output<string>;
    /** Tag references pushed, `<imageName>:<tag>`. */
    declare readonly publishedTags: pulumi.Output<string[]>;
    /** Copies in the repositories after the first, `<repository>:<tag>`, as GoReleaser copies them. */
    declare readonly copies: pulumi.Output<string[]>;
    /** Digest of each platform's image, keyed `os/arch[/variant]`, read from the pushed index. */
    declare readonly platformDigests: pulumi.Output<Record<string, string>>;
    /** SBOM attachments pushed beside the image, `<imageName>:sha256-<hex>.sbom`; empty with `sbom: none`. */
    declare readonly sbomRefs: pulumi.Output<string[]>;

    constructor(name: string, args: KoImageArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = { imageRef: undefined, digest: undefined, imageName: undefined, publishedTags: undefined, copies: undefined, platformDigests: undefined, sbomRefs: undefined };
        const registries = args.registries === undefined ? undefined : pulumi.secret(args.registries);
        const props = { ...args, registries, ...outputs };
        const secretOptions = { additionalSecretOutputs: ["registries", ...(opts?.additionalSecretOutputs ?? [])] };
        super(koImageProvider, name, props, { ...opts, ...secretOptions }, "kos", "KoImage");
    }
}
