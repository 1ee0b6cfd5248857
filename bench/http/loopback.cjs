// Preloaded into a server the bench starts (node -r bench/http/loopback.cjs ...): a listen() given a port and no host
// binds 127.0.0.1 instead of every interface, so the bench's servers stay on loopback. server-everything's HTTP
// transport calls app.listen(PORT) with no host.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (first && typeof first === 'object' && first.port !== undefined && !first.host && !first.path) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
