import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nothing listens on: bound, then released, so a connection to it is refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
