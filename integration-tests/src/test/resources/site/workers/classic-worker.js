// A classic worker: a relative importScripts, a global, and a message handler.
importScripts('helper.js');
var greeting = 'classic';
console.log('classic worker started');
self.onmessage = (e) => self.postMessage(`pong ${greeting} ${e.data} ${helper()}`);
