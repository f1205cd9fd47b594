/** Browser / Vite / vitest: register the shaders through `?raw` imports (side-effect module). */
import gccpWgsl from '../../shaders/gccp.wgsl?raw';
import traverseWgsl from '../../shaders/svg_traverse.wgsl?raw';
import { registerWgsl } from './wgsl';

registerWgsl('gccp', gccpWgsl);
registerWgsl('svg_traverse', traverseWgsl);
