import type { SimRejectReason, SimRejection } from './types.js';

/** A refused request, as every engine entry point answers one. */
export const reject = (reason: SimRejectReason, message: string): SimRejection => ({ ok: false, reason, message });
