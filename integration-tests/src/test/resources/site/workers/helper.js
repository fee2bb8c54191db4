function helper() { return 'helped'; }
