/** Browser / Vite / worker: register shaders/sha256.wgsl through a `?raw` import (side-effect module). */
import sha256Wgsl from '../../shaders/sha256.wgsl?raw';
import { setSha256Wgsl } from './sha256.ts';

setSha256Wgsl(sha256Wgsl);
