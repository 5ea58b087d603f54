import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it, mock } from "node:test";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { KoImage, RegistryClient, type KoImageArgs } from "../../provider";
import { update } from "../../provider/resource/operations";
import { repoRoot } from "../support/paths";
import { createTestProject, writeFiles, type TestProject } from "../support/project";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";
import { resourceOutputs } from "../support/stack";

const koImageType = "pulumi-nodejs:dynamic/kos:KoImage";

/** The goodbye command of examples/hello with a variable that does not exist, so go build fails. */
const brokenMain = `package main

func main() {
	println(x)
}
`;

/**
 * `buildOnPreview`: a preview builds the image without pushing and shows the digest a push would
 * publish, fails on a compile error, and runs no ko process when nothing changed.
 */
describe("KoImage buildOnPreview", { timeout: 600_000 }, () => {
    let registry: TestRegistry;
    let project: TestProject;
    let stack: Stack;
    let args: KoImageArgs;
    let predictedImageRef = "";
    const otherStacks: Stack[] = [];

    const program = async () => {
        const image = new KoImage("app", args);
        return { imageRef: image.imageRef, digest: image.digest };
    };
    /** Opens another stack of the project whose program declares one image with fixed inputs. */
    const openImageStack = async (stackName: string, imageArgs: KoImageArgs) => {
        const opened = await project.openStack(stackName, async () => ({ imageRef: new KoImage(stackName, imageArgs).imageRef }));
        otherStacks.push(opened);
        return opened;
    };

    before(async () => {
        registry = await startTestRegistry();
        const baseImage = pushBaseImageFixture(registry.address);
        project = createTestProject();
        fs.cpSync(path.join(repoRoot, "examples", "hello"), path.join(project.dir, "app"), { recursive: true });
        fs.cpSync(path.join(repoRoot, "examples", "hello"), path.join(project.dir, "broken"), { recursive: true });
        writeFiles(project.dir, { "broken/cmd/goodbye/main.go": brokenMain });
        args = {
            workingDir: "app",
            main: "./cmd/goodbye",
            baseImage,
            repositories: [`${registry.address}/app`],
            tags: ["v1"],
            // Without a build date the build is reproducible, so the prediction is exact.
            ldflags: ["-s -w"],
            bare: true,
            buildOnPreview: true,
        };
        stack = await project.openStack("build-on-preview", program);
    });
    after(async () => {
        for (const opened of [stack, ...otherStacks]) {
            await opened?.workspace.removeStack(opened.name, { force: true }).catch(() => undefined);
        }
        project?.dispose();
        await registry?.stop();
    });

    it("previews the digest without pushing", async () => {
        project.clearToolCalls();
        const events: EngineEvent[] = [];
        const preview = await stack.preview({ onEvent: (event) => events.push(event) });
        assert.deepEqual(preview.changeSummary, { create: 2 });

        predictedImageRef = previewedImageRef(events);
        assert.match(predictedImageRef, new RegExp(`^${registry.address}/app@sha256:[0-9a-f]{64}$`));
        assert.ok(preview.stdout.includes(predictedImageRef), "the preview's Outputs section shows the predicted imageRef");
        assert.ok(
            project.toolCalls().some((call) => call.startsWith("ko build") && call.includes("--push=false")),
            "ko ran with --push=false",
        );
        assert.equal(await new RegistryClient({ env: {} }).headManifest(predictedImageRef), undefined);
    });

    it("publishes the previewed digest", async () => {
        const result = await stack.up();
        assert.equal(result.outputs.imageRef.value, predictedImageRef);
        assert.equal(result.outputs.digest.value, predictedImageRef.split("@")[1]);
        const head = await new RegistryClient({ env: {} }).headManifest(`${registry.address}/app:v1`);
        assert.equal(head?.digest, predictedImageRef.split("@")[1]);
    });

    it("runs no ko when nothing changed", async () => {
        project.clearToolCalls();
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 2 });
        assert.deepEqual(
            project.toolCalls().filter((call) => call.startsWith("ko ")),
            [],
        );
    });

    it("predicts a new digest after a source edit", async () => {
        const mainFile = path.join(project.dir, "app", "cmd", "goodbye", "main.go");
        fs.writeFileSync(mainFile, fs.readFileSync(mainFile, "utf8").replace(`"Goodbye"`, `"Farewell"`));
        project.clearToolCalls();
        const events: EngineEvent[] = [];
        const preview = await stack.preview({ onEvent: (event) => events.push(event) });
        assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });

        const edited = previewedImageRef(events);
        assert.notEqual(edited, predictedImageRef);
        assert.match(edited, new RegExp(`^${registry.address}/app@sha256:[0-9a-f]{64}$`));
        assert.ok(project.toolCalls().some((call) => call.startsWith("ko build") && call.includes("--push=false")), "ko ran with --push=false");
        assert.equal(await new RegistryClient({ env: {} }).headManifest(edited), undefined);

        const result = await stack.up();
        assert.equal(result.outputs.imageRef.value, edited);
    });

    it("logs a digest other than predicted", async () => {
        // Check and publish build the same inputs within one `up`, so a wrong prediction is
        // staged here: the provider's update runs in this process with a prediction that does
        // not match, on an update that only adds a tag.
        // The exported state contains `registries` encrypted, and this image needs no credentials.
        const stored: Record<string, unknown> = (await resourceOutputs(stack, koImageType)).app;
        const outputs: Record<string, unknown> = { ...stored, registries: [] };
        const published = outputs.imageRef as string;
        const wrong = `${registry.address}/app@sha256:${"0".repeat(64)}`;
        const log = mock.method(console, "log", () => undefined);
        try {
            const result = await update(published, outputs, { ...outputs, tags: ["v1", "v3"], imageRef: wrong, digest: wrong.split("@")[1] });
            assert.equal(result.outs?.imageRef, published);
        } finally {
            log.mock.restore();
        }
        const lines = log.mock.calls.map((call) => String(call.arguments[0]));
        const mismatch = lines.filter((line) => line.startsWith("The preview build predicted"));
        assert.deepEqual(mismatch, [`The preview build predicted ${wrong}, but the published image is ${published}, which becomes the output: the build is not reproducible, or its sources changed in between`]);
    });

    it("fails the preview on a compile error", async () => {
        const brokenStack = await openImageStack("broken", { ...args, workingDir: "broken", repositories: [`${registry.address}/broken`] });
        project.clearToolCalls();
        const message = await previewError(brokenStack);
        assert.match(message, /the preview build \(buildOnPreview: true\) failed: ko build \.\/cmd\/goodbye .*--push=false failed/);
        assert.match(message, /undefined: x/);
        assert.ok(project.toolCalls().some((call) => call.startsWith("ko build") && call.includes("--push=false")), "ko ran with --push=false");
        assert.equal(await new RegistryClient({ env: {} }).headManifest(`${registry.address}/broken:v1`), undefined);
    });

    it("leaves a dated build unpredicted", async () => {
        // As koImagesFromGoreleaser declares a build date from a template: the value of this run,
        // and in stableValues the same input with the date pinned.
        const datedStack = await openImageStack("dated", {
            ...args,
            repositories: [`${registry.address}/dated`],
            ldflags: [`-s -w -X main.buildDate=${new Date().toISOString()}`],
            stableValues: { ldflags: ["-s -w -X main.buildDate=2000-01-01T00:00:00Z"] },
        });
        project.clearToolCalls();
        const events: EngineEvent[] = [];
        const preview = await datedStack.preview({ onEvent: (event) => events.push(event) });
        assert.deepEqual(preview.changeSummary, { create: 2 });
        assert.ok(project.toolCalls().some((call) => call.startsWith("ko build") && call.includes("--push=false")), "ko ran with --push=false");
        assert.throws(() => previewedImageRef(events), /no .* step with a known imageRef output/);
        assert.match(preview.stdout, /imageRef: \[unknown\]/);
    });
});

/** Finds the KoImage's `imageRef` output in a preview's events, where a planned step shows its inputs as outputs. */
function previewedImageRef(events: readonly EngineEvent[]): string {
    for (const event of events) {
        const metadata = event.resOutputsEvent?.metadata;
        if (metadata?.type !== koImageType) continue;
        const imageRef = metadata.new?.outputs?.imageRef;
        if (typeof imageRef === "string") return imageRef;
    }
    throw new Error(`no ${koImageType} step with a known imageRef output among ${events.length} preview events`);
}

/** Runs `pulumi preview` and returns the error it fails with. */
async function previewError(stack: Stack): Promise<string> {
    try {
        await stack.preview();
    } catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
    throw new Error("expected pulumi preview to fail");
}
