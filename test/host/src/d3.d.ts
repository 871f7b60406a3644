// d3 ships no types and @types/d3 is not installed; the host only passes the module through to plugins.
declare module 'd3';
