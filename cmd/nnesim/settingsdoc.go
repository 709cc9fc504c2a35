package main

import (
	"fmt"
	"io"
	"strings"

	"nnesim/core/learner"
)

// settingsDoc writes the Markdown tables of the rules and of every
// setting with the rules it belongs to, from the registry
// (learner.Rules, learner.Params): what docs/CLI.md holds between its
// "settings table" markers (nnesim settings prints it; a test checks that
// the two agree).
func settingsDoc(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| rule (`algo`) | what it is | counts |\n| --- | --- | --- |\n")
	for _, r := range learner.Rules {
		var units []string
		for _, p := range r.Phases {
			units = append(units, fmt.Sprintf("%ss (`%s`)", p.Unit, p.Stop))
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.Name, r.Title, strings.Join(units, ", then "))
	}
	b.WriteString("\n| setting | rules | meaning |\n| --- | --- | --- |\n")
	for _, p := range learner.Params() {
		rules := "all"
		if rs := learner.RulesWith(p.Name); rs != nil {
			rules = strings.Join(rs, ", ")
		}
		usage := strings.ReplaceAll(p.Usage, "|", "\\|")
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", p.Name, rules, usage)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// settingsCmd is nnesim settings: the tables of settingsDoc.
func settingsCmd(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("settings: unexpected argument %q", args[0])
	}
	return settingsDoc(stdout)
}
