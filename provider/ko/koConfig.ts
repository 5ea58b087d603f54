import { stringify } from "yaml";
import type { ResolvedImageSpec } from "../spec/spec";

/**
 * Renders the `.ko.yaml` for one image. The ko CLI takes the base image, the build's directory,
 * env, flags and ldflags only from this file, so the provider writes one per build into a private
 * folder and points `KO_CONFIG_PATH` at it. The user's own `.ko.yaml` is never read, as in GoReleaser.
 */
export function renderKoConfig(spec: ResolvedImageSpec): string {
    const build: Record<string, unknown> = { id: "pulumi-kos", dir: ".", main: spec.main };
    if (spec.env.length > 0) build.env = spec.env;
    if (spec.flags.length > 0) build.flags = spec.flags;
    if (spec.ldflags.length > 0) build.ldflags = spec.ldflags;
    return stringify({ defaultBaseImage: spec.baseImage, builds: [build] });
}
