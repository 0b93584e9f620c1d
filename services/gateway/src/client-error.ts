// Malformed HTTP from a client (a bad request line, oversized headers, a timeout). Fastify's own
// handler logs the parser's error at trace level, and that error carries `rawPacket`: the bytes
// the client sent, API keys and token signatures included. This one answers the same way and logs
// only the error code and how many bytes there were.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@indexflow/observability';
import type { ConnectionError } from 'fastify';

function statusOf(code: string | undefined): number {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

export function clientErrorHandler(logger: Logger): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nothing left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = statusOf(error.code);
    logger.debug(
      { code: error.code ?? 'unknown', bytes: error.bytesParsed ?? 0, status },
      'malformed request refused',
    );
    if (socket.writable) {
      const body = JSON.stringify({ code: 'bad_request', message: STATUS_CODES[status] ?? 'Bad Request' });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
