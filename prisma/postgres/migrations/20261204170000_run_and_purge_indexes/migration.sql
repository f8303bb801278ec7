-- DropIndex
DROP INDEX "FlowEvent_at_idx";

-- CreateIndex
CREATE INDEX "AuthorizationCode_correlationId_createdAt_idx" ON "AuthorizationCode"("correlationId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessToken_correlationId_createdAt_idx" ON "AccessToken"("correlationId", "createdAt");

-- CreateIndex
CREATE INDEX "RefreshToken_correlationId_createdAt_idx" ON "RefreshToken"("correlationId", "createdAt");

-- CreateIndex
CREATE INDEX "FlowEvent_at_correlationId_idx" ON "FlowEvent"("at", "correlationId");

