// Stylesheets imported by @grafana/ui's dependencies (rc-picker, rc-drawer, uplot) mean nothing to jsdom.
module.exports = {};
