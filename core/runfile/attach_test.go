package runfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/wasm/budget"
)

// TestAttach checks that a run or race file with drawn digits beside it
// reads as the file alone (Decode, Split), that Drawn gives the digits
// back, and that a file without attachments has none.
func TestAttach(t *testing.T) {
	sv := smallSaved(t)
	run := Encode(sv)
	images, labels := []byte("images-idx"), []byte("labels-idx")
	b, err := Attach(run, []Attachment{{DrawnImages, images}, {DrawnLabels, labels}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b, 1<<30)
	if err != nil || !reflect.DeepEqual(got, sv) {
		t.Fatalf("Decode of a run with attachments: %v, %+v", err, got)
	}
	files, runs, err := Split(b, 1<<30, budget.Shares(1<<30, 2))
	if err != nil || len(runs) != 1 || !bytes.Equal(files[0], run) {
		t.Fatalf("Split of a run with attachments: %v, %d runs", err, len(runs))
	}
	gi, gl, err := Drawn(b)
	if err != nil || !bytes.Equal(gi, images) || !bytes.Equal(gl, labels) {
		t.Errorf("Drawn: %q, %q, %v", gi, gl, err)
	}
	if gi, gl, err := Drawn(run); gi != nil || gl != nil || err != nil {
		t.Errorf("Drawn of a plain run file: %q, %q, %v", gi, gl, err)
	}
	if same, err := Attach(run, nil); err != nil || !bytes.Equal(same, run) {
		t.Errorf("Attach of nothing changed the file (%v)", err)
	}
	// A race with attachments splits into its runs.
	nne := smallSaved(t)
	nne.Settings.Digits = "0-9"
	race := EncodeRace([]*learner.Saved{nne, lifetimeSaved(t, "dnn")})
	rb, _ := Attach(race, []Attachment{{DrawnImages, images}, {DrawnLabels, labels}})
	if _, runs, err := Split(rb, 1<<30, budget.Shares(1<<30, 2)); err != nil || len(runs) != 2 {
		t.Errorf("Split of a race with attachments: %v, %d runs", err, len(runs))
	}
}

// TestDetachRefuses checks the damaged files and the bounds.
func TestDetachRefuses(t *testing.T) {
	run := Encode(smallSaved(t))
	good, _ := Attach(run, []Attachment{{DrawnImages, []byte{1}}, {DrawnLabels, []byte{2}}})
	flip := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }
	nested, _ := Attach(good, []Attachment{{"x", nil}})
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"a flipped byte", flip(good, len(good)-1), "checksum mismatch"},
		{"truncated", reseal(bytes.Clone(good[:len(good)-1])), "attachment 2"},
		{"trailing bytes", reseal(append(bytes.Clone(good), 0)), "1 unexpected bytes after the attachments"},
		{"attachments inside attachments", nested, "attachments inside attachments"},
		{"no attachment", reseal(append(bytes.Clone(good[:runHeaderSize+8+len(run)]), 0)), "0 attachments, want 1 to 4"},
	} {
		if _, err := Decode(tc.b, 1<<30); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := Attach(run, make([]Attachment, MaxAttachments+1)); err == nil {
		t.Error("too many attachments accepted")
	}
	if _, err := Attach(run, []Attachment{{DrawnImages, make([]byte, MaxAttachmentBytes+1)}}); err == nil {
		t.Error("an attachment over the bound accepted")
	}
	only, _ := Attach(run, []Attachment{{DrawnImages, []byte{1}}})
	if _, _, err := Drawn(only); err == nil || !strings.Contains(err.Error(), "without their labels") {
		t.Errorf("images without labels: %v", err)
	}
}
