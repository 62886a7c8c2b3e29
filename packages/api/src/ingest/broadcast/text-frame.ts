/**
 * Status frames go to every subscriber of a task alike, so each is framed once (RFC 6455 §5.2:
 * FIN and the text opcode, the payload length, unmasked as a server sends) and written to each
 * socket's connection as it is: one write. `ws.send` frames the payload again for every socket
 * (a header allocated, the connection corked, two writes, uncorked: a writev).
 */
const framed = new WeakMap<Buffer, Buffer>();

/** The whole WebSocket text frame carrying `payload` (UTF-8 JSON), built once per payload. */
export function textFrame(payload: Buffer): Buffer {
  let frame = framed.get(payload);
  if (!frame) {
    frame = Buffer.concat([frameHeader(payload.length), payload]);
    framed.set(payload, frame);
  }
  return frame;
}

function frameHeader(length: number): Buffer {
  const FIN_TEXT = 0x81;
  if (length < 126) return Buffer.from([FIN_TEXT, length]);
  if (length < 0x1_0000) {
    const header = Buffer.from([FIN_TEXT, 126, 0, 0]);
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header[0] = FIN_TEXT;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}
