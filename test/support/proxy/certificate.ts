// A certificate for the https test proxy, under a CA of its own (distinct from the emulator's test CA).
import { makeServerCertificate, type ServerCertificate } from '../../emulator/tls';

export function makeProxyCertificate(): Promise<ServerCertificate> {
  return makeServerCertificate('Test Proxy CA');
}
