package io.switchboard.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ModelProbeRepository implements PanacheRepositoryBase<ModelProbe, ModelProbe.Key> {}
