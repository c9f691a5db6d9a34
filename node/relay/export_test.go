package relay

// BaseHostOptions exposes the relay host's options without the relay
// services, for the idle-connection benchmark's baseline host.
var BaseHostOptions = baseHostOptions
