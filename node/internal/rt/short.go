package rt

import "strings"

// ShortError is an error chain's text on one line, at most 160 bytes.
func ShortError(err error) string {
	if err == nil {
		return ""
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
