import Hummingbird

/// The routes of the embedded Prefect API under `/api`, in Prefect's paths and shapes.
enum PrefectAPIRouter {
    /// The router; CSRF protection (checked first, as Prefect's outer app does) and basic
    /// auth as `options` ask.
    static func make(database: PrefectDatabase, options: PrefectServerOptions = PrefectServerOptions()) -> Router<PrefectRequestContext> {
        let router = Router(context: PrefectRequestContext.self)
        router.add(middleware: PrefectErrorMiddleware())
        let env = RouteEnvironment(database: database)
        if options.csrfProtectionEnabled { router.add(middleware: CSRFMiddleware(env: env)) }
        if let authString = options.authString { router.add(middleware: BasicAuthMiddleware(authString: authString)) }
        let table = RouteTable()
        router.add(middleware: RouteShapeMiddleware(table: table))
        let api = router.group("api")
        HealthRoutes.register(on: api, env)
        OpenAPIRoutes.register(on: api)
        CollectionRoutes.register(on: api)
        CSRFTokenRoutes.register(on: api, env, options: options)
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
        DeploymentRoutes.register(on: api, env)
        GlobalConcurrencyLimitRoutes.register(on: api, env)
        ConcurrencyLimitRoutes.register(on: api, env)
        AdminStorageRoutes.register(on: api, env)
        AdminSettings.register(on: api)
        ArtifactRoutes.register(on: api, env)
        BlockTypeRoutes.register(on: api, env)
        BlockSchemaRoutes.register(on: api, env)
        BlockDocumentRoutes.register(on: api, env)
        AutomationRoutes.register(on: api, env)
        EventRoutes.register(on: api, env)
        UIFlowRoutes.register(on: api, env)
        UIFlowRunRoutes.register(on: api, env)
        UITaskRunRoutes.register(on: api, env)
        RunHistoryRoutes.register(on: api, env)
        SavedSearchRoutes.register(on: api, env)
        UISchemaRoutes.register(on: api, env)
        FlowRunGraphRoutes.register(on: api, env)
        table.load(router.routes.map { ($0.method, $0.path.description) })
        return router
    }
}
