import { z } from 'zod';

/** Largest request body /v1/join/redeem reads; anything longer is refused before parsing. */
export const MAX_REDEEM_BODY_BYTES = 64 * 1024;

/**
 * The body of POST /v1/join/redeem, every field bounded (the cluster service validates meaning:
 * name syntax, CSR signature and CN, token secret). Unknown keys are refused, naming the key.
 */
export const RedeemRequestSchema = z
  .object({
    token: z.string().min(1, 'is required').max(256, 'is longer than 256 characters'),
    nodeName: z.string().min(1, 'is required').max(253, 'is longer than 253 characters'),
    csrPem: z
      .string()
      .min(1, 'is required')
      .max(8192, 'is longer than 8192 characters')
      .refine((v) => v.trimStart().startsWith('-----BEGIN CERTIFICATE REQUEST-----'), {
        message: 'must be a PEM-encoded PKCS#10 certificate request',
      }),
    arch: z.string().min(1, 'is required').max(16, 'is longer than 16 characters'),
    os: z.string().min(1, 'is required').max(128, 'is longer than 128 characters'),
    interface: z.string().min(1, 'is required').max(64, 'is longer than 64 characters'),
    ips: z
      .array(z.string().min(1).max(45, 'is longer than 45 characters'))
      .max(16, 'has more than 16 addresses'),
    gpuModel: z.string().max(128, 'is longer than 128 characters').default(''),
  })
  .strict();
export type RedeemRequest = z.infer<typeof RedeemRequestSchema>;

/** What a node gets back: its identity, the cluster CA, and where its tunnel is. */
export interface RedeemResponse {
  clusterId: string;
  nodeName: string;
  certificatePem: string;
  caCertificatePem: string;
  tunnelAddress: string;
  containerDir: string;
  preInstallScript: string;
  postInstallScript: string;
  cordoned: boolean;
  cordonReason: string;
}

/** Every failure of the join API: the gRPC reason's name, the field it is about (if one), a sentence. */
export interface JoinErrorBody {
  error: {
    code: string;
    field: string | null;
    message: string;
    violations?: { field: string; description: string }[];
  };
}
