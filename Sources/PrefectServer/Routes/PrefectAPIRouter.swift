import Hummingbird

/// The routes of the embedded Prefect API under `/api`, in Prefect's paths and shapes.
enum PrefectAPIRouter {
    static func make(database: PrefectDatabase) -> Router<PrefectRequestContext> {
        let router = Router(context: PrefectRequestContext.self)
        router.add(middleware: PrefectErrorMiddleware())
        let api = router.group("api")
        let env = RouteEnvironment(database: database)
        HealthRoutes.register(on: api)
        FlowRoutes.register(on: api, env)
        FlowRunRoutes.register(on: api, env)
        FlowRunInputRoutes.register(on: api, env)
        TaskRunRoutes.register(on: api, env)
        StateRoutes.register(on: api, env)
        LogRoutes.register(on: api, env)
        VariableRoutes.register(on: api, env)
        WorkPoolRoutes.register(on: api, env)
        WorkPoolQueueRoutes.register(on: api, env)
        WorkerRoutes.register(on: api, env)
        WorkQueueRoutes.register(on: api, env)
        return router
    }
}
