import type { BybitFacade } from '../../src/facades/bybit/index.js';
import { countSentFrames, frameJson } from '../support/sent-frames.js';

/**
 * Counts the façade's successful `subscribe` replies on the private stream. The façade adds the topics before it
 * replies, so once a reply is counted, events for those topics reach the client. Replaces the façade's tap.
 */
export function privateSubscribeAcks(facade: BybitFacade): () => number {
  return countSentFrames(facade, (f) => {
    if (!f.path.startsWith('/v5/private') || f.stream !== undefined) return false;
    const reply = frameJson(f);
    return reply?.['op'] === 'subscribe' && reply['success'] === true;
  });
}
