package e2e

import siglog "go.mau.fi/libsignal/logger"

// libsignal logs through one package-level logger. Its default prints to
// stdout, and its messages carry cipher keys, whole session records and
// ciphertexts, which must never reach a log. Pigeon drops them all: every
// failure libsignal logs is also returned as an error, which the Manager
// maps to its own sentinels. The logger is installed when this package is
// loaded, before any libsignal call can run.
//
// libsignal still formats every debug message (fmt.Sprint of keys and
// records, plus runtime.Caller) before handing it to the logger; that costs
// about a quarter of the CPU of an encrypt+decrypt and can only be removed
// in libsignal itself.
type discardLogger struct{}

func (discardLogger) Debug(caller, msg string)   {}
func (discardLogger) Info(caller, msg string)    {}
func (discardLogger) Warning(caller, msg string) {}
func (discardLogger) Error(caller, msg string)   {}
func (discardLogger) Configure(settings string)  {}

func init() {
	var l siglog.Loggable = discardLogger{}
	siglog.Setup(&l)
}
