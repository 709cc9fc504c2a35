package mnist

import (
	"fmt"
	"strconv"
	"strings"
)

// Digits is an ordered set of distinct digits to classify. Class c of a
// classifier over Digits d is the digit d[c].
type Digits []int

// ParseDigits parses a digit set such as "0-4", "0-9" or "3,8" (ranges and
// lists may be mixed: "0-2,7"). It needs at least two distinct digits.
func ParseDigits(s string) (Digits, error) {
	var seen [10]bool
	var d Digits
	add := func(v int) error {
		if seen[v] {
			return fmt.Errorf("digit %d appears twice in %q", v, s)
		}
		seen[v] = true
		d = append(d, v)
		return nil
	}
	parse := func(t string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil || v < 0 || v > 9 {
			return 0, fmt.Errorf("%q is not a digit 0-9 in digit set %q", t, s)
		}
		return v, nil
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := parse(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = parse(hi); err != nil {
				return nil, err
			}
			if b < a {
				return nil, fmt.Errorf("range %q in digit set %q runs backwards", part, s)
			}
		}
		for v := a; v <= b; v++ {
			if err := add(v); err != nil {
				return nil, err
			}
		}
	}
	if len(d) < 2 {
		return nil, fmt.Errorf("digit set %q has %d digit; need at least 2 to classify", s, len(d))
	}
	return d, nil
}

// String formats d compactly, using ranges where possible ("0-4", "3,8").
func (d Digits) String() string {
	var b strings.Builder
	for i := 0; i < len(d); {
		j := i
		for j+1 < len(d) && d[j+1] == d[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j-i >= 2 {
			fmt.Fprintf(&b, "%d-%d", d[i], d[j])
		} else {
			for k := i; k <= j; k++ {
				if k > i {
					b.WriteByte(',')
				}
				b.WriteString(strconv.Itoa(d[k]))
			}
		}
		i = j + 1
	}
	return b.String()
}

// Class returns the class index of digit v in d, or -1 if v is not in d.
func (d Digits) Class(v int) int {
	for c, x := range d {
		if x == v {
			return c
		}
	}
	return -1
}
