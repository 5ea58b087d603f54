// Entry point of the Pulumi project in this folder, for `pulumi up` with a Pulumi CLI that has
// the Node.js language host. `npm run demo` runs the same program through the Automation API.
import { publishKos } from "./program";

export = publishKos();
