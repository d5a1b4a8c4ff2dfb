import type { Duplex } from 'node:stream';

/**
 * A request Node could not parse (a URL or headers over its 16 KiB limit, a malformed request line) is answered, as
 * a venue's front end answers it (431 or 400, then closed), rather than cut off: a client sees why, not "other side
 * closed". A socket already gone is only destroyed.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
