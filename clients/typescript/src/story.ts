// The whole teacher → student → grader story, with only typed calls.
//
//   NEWSLIT_URL=http://127.0.0.1:8080 TEACHER=<jwt> STUDENT=<jwt> GRADER=<jwt> npm run story
//
// Tokens come from `newslit token --role teacher|student|grader --sub <name>`. Each run makes its
// own class, so it can run again and again against the same service.
import { checkedNewslit, ok } from "./client.js";

const base = process.env["NEWSLIT_URL"] ?? "http://127.0.0.1:8080";
const token = (role: string): string => {
  const value = process.env[role];
  if (!value) throw new Error(`set ${role} to a ${role.toLowerCase()} token (newslit token --role ...)`);
  return value;
};
// Every response is held to the checked-in spec: a status, content type or body it does not
// document makes the story fail there.
const spec = new URL("../../../openapi/openapi.json", import.meta.url);
const teacher = checkedNewslit(base, token("TEACHER"), spec);
const student = checkedNewslit(base, token("STUDENT"), spec);
const grader = checkedNewslit(base, token("GRADER"), spec);

function check(what: string, holds: boolean): void {
  if (!holds) throw new Error(`expected: ${what}`);
  console.log(`ok: ${what}`);
}

// Teacher: a seed article's published exercises, one answered by choice, one in free text.
const articles = ok(await teacher.GET("/v1/articles", { params: { query: { limit: 100 } } }));
const picked: { id: string; kind: string }[] = [];
for (const article of articles.items.filter((a) => a.seed != null)) {
  const list = ok(
    await teacher.GET("/v1/articles/{id}/exercises", {
      params: { path: { id: article.id }, query: { status: "published" } },
    }),
  );
  const kinds = list.items.map((e) => ({ id: e.id, kind: e.kind }));
  const choice = kinds.find((e) => e.kind === "source_of_claim");
  const reflection = kinds.find((e) => e.kind === "reflection");
  if (choice !== undefined && reflection !== undefined) {
    picked.push(choice, reflection);
    break;
  }
}
check("a seed article has a source-of-claim and a reflection exercise", picked.length === 2);

const me = {
  student: ok(await student.GET("/v1/me")),
  grader: ok(await grader.GET("/v1/me")),
};
const klass = ok(await teacher.POST("/v1/classes", { body: { name: `Media literacy ${new Date().toISOString()}` } }));
ok(await teacher.POST("/v1/classes/{class_id}/students", { params: { path: { class_id: klass.id } }, body: { subject: me.student.subject } }));
ok(await teacher.POST("/v1/classes/{class_id}/graders", { params: { path: { class_id: klass.id } }, body: { subject: me.grader.subject } }));
const now = Date.now();
const assignment = ok(
  await teacher.POST("/v1/classes/{class_id}/assignments", {
    params: { path: { class_id: klass.id } },
    body: {
      title: "Who is speaking?",
      exercise_ids: picked.map((e) => e.id),
      opens_at: new Date(now - 3_600_000).toISOString(),
      due_at: new Date(now + 7 * 86_400_000).toISOString(),
      feedback: "immediate",
      max_attempts: 1,
    },
  }),
);
check("the assignment holds both exercises", assignment.exercise_ids.length === 2);

// Student: my assignments, the exercises without keys, one answer each.
const mine = ok(await student.GET("/v1/me/assignments"));
check("the student sees the new assignment, not started", mine.items.some((a) => a.id === assignment.id && a.status === "not_started"));
const view = ok(await student.GET("/v1/assignments/{assignment_id}/exercises", { params: { path: { assignment_id: assignment.id } } }));
for (const { exercise } of view.items) {
  const first = exercise.options[0];
  const answer =
    exercise.response_type === "free_text" || first === undefined
      ? { type: "text" as const, text: "The article quotes an official who is not named, so I cannot check who said it." }
      : { type: "choices" as const, option_ids: [first.id] };
  const stored = ok(
    await student.POST("/v1/assignments/{assignment_id}/submissions", {
      params: { path: { assignment_id: assignment.id }, header: { "Idempotency-Key": crypto.randomUUID() } },
      body: { exercise_id: exercise.id, answer },
    }),
  );
  console.log(`answered ${exercise.kind}: ${stored.status}`);
}

// Grader: pull what changed, grade the free-text answer from its own submission (its ETag).
const pull = ok(await grader.GET("/v1/submissions", { params: { query: { assignment_id: assignment.id, limit: 100 } } }));
check("the grader's pull brings both answers", pull.items.length === 2);
const pending = pull.items.find((s) => s.status === "pending_review");
if (pending === undefined) throw new Error("the reflection waits for a grader");
const one = await grader.GET("/v1/submissions/{submission_id}", { params: { path: { submission_id: pending.id } } });
ok(one);
const etag = one.response.headers.get("ETag");
if (etag === null) throw new Error("a submission answers with its ETag");
const graded = ok(
  await grader.PUT("/v1/submissions/{id}/grade", {
    params: { path: { id: pending.id }, header: { "If-Match": etag } },
    body: { score: 0.5, comment: "Names the problem; say why it matters." },
  }),
);
check("the grade is stored", graded.score === 0.5 && graded.status === "graded");

// The gradebook, as JSON.
const book = ok(await grader.GET("/v1/assignments/{id}/results", { params: { path: { id: assignment.id } } }));
const row = book.students.find((s) => s.subject === me.student.subject);
check("the gradebook counts the hand grade", row !== undefined && row.pending_review === 0 && row.total >= 0.5);
console.log(`story done: class ${klass.id}, assignment ${assignment.id}, total ${row?.total} of ${row?.max_total}`);
