// A Pulumi program that uses pulumi-kos as a library, without a GoReleaser file: one image built
// from examples/hello, published with explicit settings, and its digest-pinned reference wired
// into a Kubernetes Deployment manifest.
import * as pulumi from "@pulumi/pulumi";
import { KoImage } from "../../provider"; // "pulumi-kos" when installed from npm

const config = new pulumi.Config();
const repository = config.require("repository"); // such as ghcr.io/acme/hello
const registryPassword = config.getSecret("registryPassword");

const hello = new KoImage("hello", {
    workingDir: "../hello",
    main: "./cmd/hello",
    repositories: [repository],
    // Default: GoReleaser's cgr.dev/chainguard/static. The tests point this at a local base image.
    baseImage: process.env.KOS_EXAMPLE_BASE_IMAGE,
    bare: true,
    platforms: ["linux/amd64", "linux/arm64"],
    tags: ["latest"],
    labels: { "org.opencontainers.image.source": "https://example.com/hello" },
    // Explicit credentials; without them, ko and the provider use the docker config.
    registries: registryPassword ? [{ address: repository.split("/")[0], username: "ci", password: registryPassword }] : undefined,
    buildOnPreview: true,
});

/**
 * A Deployment that runs the image by digest: `imageRef` changes only when the image's content
 * does, so Kubernetes rolls out exactly then. With @pulumi/kubernetes, pass the same value as
 * `spec.template.spec.containers[0].image` of a `k8s.apps.v1.Deployment`.
 */
export const deployment = hello.imageRef.apply((image) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "hello" },
    spec: {
        selector: { matchLabels: { app: "hello" } },
        template: {
            metadata: { labels: { app: "hello" } },
            spec: { containers: [{ name: "hello", image, args: ["-serve", ":8080"], ports: [{ containerPort: 8080 }] }] },
        },
    },
}));

export const imageRef = hello.imageRef;
export const platformDigests = hello.platformDigests;
