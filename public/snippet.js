// snippet.js writes what a course page pastes to embed nnesim, for the
// page's Embed button and the lesson builder (teach.html): the iframe,
// in the frame of Go's pageurl.Snippet (names.js), and an Open edX
// JSInput problem that grades the page's challenge.
'use strict';
self.nnesimSnippet = (() => {
  const S = self.nnesimNames.snippet;
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    width: S.width,
    barHeight: S.barHeight,
    // iframe is the <iframe> of the page at src, height CSS px tall.
    iframe(src, height, width = S.width) {
      return '<iframe src="' + attr(src) + '" width="' + width + '" height="' + height + '"' +
        ' sandbox="' + S.sandbox + '" style="border:0; max-width:100%"' +
        ' title="' + attr(S.title) + '" loading="lazy"></iframe>';
    },
    // jsinput is an Open edX problem (Advanced problem XML) that shows
    // the page at src and grades its challenge: met or not, with the
    // page's words (docs/USING.md, Challenges, grades and locks).
    jsinput(src, height, width = S.width) {
      return [
        '<problem>',
        '  <customresponse cfn="nnesim_grade">',
        '    <script type="loncapa/python"><![CDATA[',
        'import json',
        'def nnesim_grade(expect, ans):',
        '    # JSInput submits {"answer": getGrade(), "state": getState()}.',
        '    grade = json.loads(json.loads(ans)["answer"])',
        '    return {"ok": bool(grade.get("met")), "msg": grade.get("text", "")}',
        ']]></script>',
        '    <jsinput gradefn="getGrade" get_statefn="getState" set_statefn="setState"',
        '      initial_state="{}" sop="false" width="' + width + '" height="' + height + '" title="' + attr(S.title) + '"',
        '      html_file="' + attr(src) + '"/>',
        '  </customresponse>',
        '</problem>',
      ].join('\n');
    },
  };
})();
