import Foundation
import GRDB
import Logging
import PrefectSchemas
import ServiceLifecycle

/// Prefect's actions service (`consumer`, `prefect/server/events/actions.py`): carries out the
/// actions automations' firings ask for, one at a time in the order asked, through the
/// server's own API, and stores `prefect.automation.action.triggered` followed by
/// `.executed`, or `.failed` with the reason. Each invocation is handed over once, in memory, so
/// Prefect's guard against redelivered messages (`_recent_actions`) has nothing to guard here.
struct AutomationActions: Service {
    let app: PrefectServerApp
    let actions: AsyncStream<TriggeredAction>
    let logger: Logger

    func run() async throws {
        let webhooks = WebhookCaller()
        await cancelWhenGracefulShutdown {
            for await triggered in actions {
                if Task.isCancelled { break }
                await carryOut(triggered, webhooks: webhooks)
            }
        }
        await webhooks.shutdown()
    }

    private func carryOut(_ triggered: TriggeredAction, webhooks: WebhookCaller) async {
        let api = InternalAPI(app: app, automationID: triggered.automation.id, automationName: triggered.automation.name)
        var execution = ActionExecution(triggered, api: api, webhooks: webhooks)
        var failure: String?
        do {
            try await execution.run()
        } catch let failed as ActionFailed {
            failure = failed.reason
            logger.warning("automation action failed", metadata: ["automation": "\(triggered.automation.id)", "reason": "\(failed.reason)"])
        } catch {
            failure = "\(error)"
            logger.error("automation action failed", metadata: ["automation": "\(triggered.automation.id)", "error": "\(error)"])
        }
        let events = AutomationEvents.outcome(
            triggered, resulting: execution.related, details: execution.details, failure: failure, now: Date())
        do {
            _ = try await app.database.pool.write { db in try EventStore.insert(db, events, received: Date()) }
        } catch {
            logger.error("storing an automation action's events failed", metadata: ["error": "\(error)"])
        }
    }
}
