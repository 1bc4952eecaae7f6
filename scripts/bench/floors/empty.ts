/** The floor: a Lambda handler that does nothing, bundled like the function. */
export const handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: '{"status":"ok"}',
});
