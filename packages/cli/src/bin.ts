import * as s from '@sealstream/streams';
console.log('ok', Object.keys(s));
