export const helper = () => 'helped';
