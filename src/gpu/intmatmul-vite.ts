/** Browser / Vite / worker: register shaders/intmatmul.wgsl through a `?raw` import (side-effect module). */
import intMatmulWgsl from '../../shaders/intmatmul.wgsl?raw';
import { setIntMatmulWgsl } from './intmatmul.ts';

setIntMatmulWgsl(intMatmulWgsl);
