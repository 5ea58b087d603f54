export { KoImage, type KoImageArgs } from "./resource/koImage";
export { koImagesFromGoreleaser, type GoreleaserImagesOptions } from "./goreleaser";
export { loadGoreleaserConfig, type GoreleaserKosConfig, type KosEntry, type LoadOptions } from "./config/load";
export { ConfigError, formatProblem, type ConfigProblem } from "./config/problems";
export { type KoImageSpec, type ResolvedImageSpec, defaultBaseImage, resolveImageSpec } from "./spec/spec";
export { RegistryClient, RegistryError, type FetchedManifest, type ManifestDocument } from "./registry/client";
export { parseImageReference, type ImageReference } from "./registry/reference";
