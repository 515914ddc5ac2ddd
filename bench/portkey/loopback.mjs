// Preloaded into the Portkey gateway, which has no host option: a listen(port) without a host
// binds 127.0.0.1, so benchmark traffic stays on loopback.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] !== 'string')) {
    args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
