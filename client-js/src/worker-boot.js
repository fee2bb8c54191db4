// First module of a module worker's bootstrap (page.js): hands worker.js the URL of the page's
// worker script, which it needs before that script runs (imports evaluate in order).
self.__daebugBoot = { src: new URL(import.meta.url).searchParams.get('src') };
