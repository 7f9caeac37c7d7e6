import { z } from 'zod';
import { apiErrorSchema, apiMethods, contract } from '../api/contract.ts';
import { statusOfError } from './errorStatus.ts';
import { API_HEADERS } from './requestChecks.ts';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the contract's zod schemas (z.toJSONSchema): one
 * POST operation per method, its input as the JSON request body, its output as the 200 response, the typed error
 * for every other status. Nothing in it is written by hand but the titles.
 */

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // OpenAPI 3.1 speaks JSON Schema 2020-12, zod's default target; the per-schema $schema key is redundant there.
  const document = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete document.$schema;
  return document;
}

const errorStatuses = [...new Set(apiErrorSchema.shape.code.options.map(statusOfError))].sort();
/** What the transport answers before a method runs (src-main/http/server.ts): a body too large, not JSON. */
const transportStatuses = [413, 415];

export function openApiDocument(version: string): JsonSchema {
  const errorResponse = { $ref: '#/components/responses/ApiError' };
  const paths = Object.fromEntries(
    apiMethods.map((method) => {
      const spec = contract[method];
      return [
        `/api/${method}`,
        {
          post: {
            operationId: method,
            summary: spec.summary,
            tags: [spec.readonly ? 'read' : 'record'],
            parameters: [{ $ref: '#/components/parameters/Mark' }],
            requestBody: {
              required: false,
              content: { 'application/json': { schema: jsonSchema(spec.input, 'input') } },
            },
            responses: {
              '200': {
                description: 'the result',
                content: { 'application/json': { schema: jsonSchema(spec.output, 'output') } },
              },
              ...Object.fromEntries(
                [...errorStatuses, ...transportStatuses].map((status) => [String(status), errorResponse]),
              ),
            },
          },
        },
      ];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Scoring Desk API',
      version,
      description:
        'Probability of default, decision, reasons, comparison, what-if and the decision record of the ' +
        'clients of a Scoring Desk client base. Every method is a POST of its input as JSON; errors come as ' +
        '{ "error": { "code", "message", "details" } }. Every call carries Content-Type: application/json and ' +
        'X-Scoring-Desk: 1; a request from another origin is refused.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { ApiError: jsonSchema(apiErrorSchema, 'output') },
      responses: {
        ApiError: {
          description: 'a typed error: what is wrong and where',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { error: { $ref: '#/components/schemas/ApiError' } },
                required: ['error'],
              },
            },
          },
        },
      },
      parameters: {
        Mark: {
          name: 'X-Scoring-Desk',
          in: 'header',
          required: true,
          description:
            'Sent by the Scoring Desk page and by programs, never by a form or a page on another site (see README, Security).',
          schema: { const: API_HEADERS['x-scoring-desk'] },
        },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
