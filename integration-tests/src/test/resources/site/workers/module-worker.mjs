// A module worker: a relative import, a global set on self, and a message handler.
import { helper } from './helper.mjs';
self.greeting = 'module';
self.onmessage = (e) => self.postMessage(`pong ${self.greeting} ${e.data} ${helper()}`);
